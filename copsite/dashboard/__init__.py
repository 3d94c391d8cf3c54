"""The coordinator's dashboard: community health at a glance, under the admin.

Every figure is a SQL aggregate (a fixed number of queries whatever the size of the community),
shown three ways from one `Table`: a server-rendered SVG chart, its data table and a CSV file.
"""
