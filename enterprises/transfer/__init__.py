"""Import and export of enterprises and their enrolments: the columns, parsing, the import
itself (``importing``), import jobs run by the worker (``jobs``), the template, the export,
and their forms and pages."""
