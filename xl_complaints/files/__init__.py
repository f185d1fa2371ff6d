"""File adapters: reading a register, writing it back part by part, outputs, locks, backups and the audit log."""
