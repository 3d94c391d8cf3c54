"""A migration operation for changes to fields' labels only: what people read (verbose names,
help texts, choices' labels), never what the database stores.

Django writes one AlterField per changed field, and each makes the migration state render the
model again: the translation migrations' 196 label changes cost about 3.5 s at every `migrate`,
which every new database (every `make test`) pays. `AlterFieldLabels` changes a model's fields
together and renders the model once. It runs no SQL, which is what Django's schema editor
would do for these changes anyway; `tests/copsite/test_migration_operations.py` checks that
every field it changes differs only in attributes the database never sees.
"""

from django.db.migrations.operations.base import Operation
from django.db.migrations.utils import field_is_referenced


class AlterFieldLabels(Operation):
    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, fields: list):
        self.model_name = model_name
        self.fields = fields

    @property
    def model_name_lower(self) -> str:
        return self.model_name.lower()

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "fields": self.fields}

    def state_forwards(self, app_label, state):
        """What ProjectState.alter_field does for each field, with one reload at the end."""
        model_key = app_label, self.model_name_lower
        fields = state.models[model_key].fields
        delay = True
        for name, field in self.fields:
            if field.is_relation:
                # The state's map of relations holds the field itself: keep it in step.
                state.relations  # noqa: B018 -- built on first use, kept in step afterwards
                state.resolve_model_field_relations(model_key, name, fields.pop(name))
                fields[name] = field
                state.resolve_model_field_relations(model_key, name, field)
                delay = False
            else:
                fields[name] = field
                delay = delay and not field_is_referenced(state, model_key, (name, field))
        state.reload_model(*model_key, delay=delay)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass  # Labels live in the code, not in the database.

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Alter the labels of {len(self.fields)} fields on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.model_name_lower}_labels"

    def references_field(self, model_name, name, app_label):
        return model_name.lower() == self.model_name_lower and any(
            name == field_name for field_name, _ in self.fields
        )

    def references_model(self, name, app_label):
        return name.lower() == self.model_name_lower
