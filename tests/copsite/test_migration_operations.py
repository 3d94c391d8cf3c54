"""AlterFieldLabels (copsite/migration_operations.py) runs no SQL: each field it changes must
differ from the field before it only in what people read, never in what the database stores."""

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from copsite.migration_operations import AlterFieldLabels

# What a label change may touch; everything else (type, null, max_length, default, relation,
# db_column, indexes …) would need SQL, which AlterFieldLabels never runs.
LABELS = {"verbose_name", "help_text", "choices", "validators", "error_messages"}


def _label_changes():
    """(migration, model, field, what changed) for every field an AlterFieldLabels changes,
    walking every migration in order."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = ProjectState(real_apps=loader.unmigrated_apps)
    for key in _plan(loader):
        migration = loader.graph.nodes[key]
        for operation in migration.operations:
            if isinstance(operation, AlterFieldLabels):
                fields = state.models[migration.app_label, operation.model_name_lower].fields
                for name, new in operation.fields:
                    old = fields[name]
                    *_, old_kwargs = old.deconstruct()
                    *_, new_kwargs = new.deconstruct()
                    changed = {
                        attribute
                        for attribute in old_kwargs.keys() | new_kwargs.keys()
                        if old_kwargs.get(attribute) != new_kwargs.get(attribute)
                    }
                    if type(old) is not type(new):
                        changed.add("type")
                    yield key, operation.model_name, name, changed
            operation.state_forwards(migration.app_label, state)


def _plan(loader):
    """Every migration, each after those it depends on."""
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    return plan


def test_every_field_altered_for_its_labels_changes_only_its_labels():
    changes = list(_label_changes())

    assert len(changes) == 196  # the translation migrations' label changes
    assert {
        (key, model, name): changed - LABELS
        for key, model, name, changed in changes
        if changed - LABELS
    } == {}
    assert all(changed for *_, changed in changes), "a field listed with nothing to change"
