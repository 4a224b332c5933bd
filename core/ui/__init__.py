"""The shared UI toolkit: scoped views and mixins, forms, widgets and formatting.

Domain apps build their pages from these; nothing here knows a domain app."""
