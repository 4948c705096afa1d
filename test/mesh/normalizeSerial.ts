/**
 * A certificate serial in the form Node reports for a peer certificate (`getPeerCertificate()`):
 * upper-case hex without leading zeros, so serials from different sources compare equal.
 *
 * @example
 * normalizeSerial('0a1b') === 'A1B';
 */
export function normalizeSerial(serial: string): string {
  return serial.replace(/:/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}
