/** One spelling per mailbox for lookups: trimmed, Unicode NFC, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
