"""The pure core: the register's columns, working days, the rulebooks, settings, row checks and status. No files, no Excel, no clock."""
