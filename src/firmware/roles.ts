// Who may do what with firmware: IT manages it (admins too); auditors read everything and change
// nothing; every other role is refused.
export const FIRMWARE_MANAGERS = ['it', 'admin'] as const;
export const FIRMWARE_READERS = ['it', 'admin', 'auditor'] as const;
