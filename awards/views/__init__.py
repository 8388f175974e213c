"""The registry's pages, a module per area. Thin: permissions, a selector or a service, a template."""
