/** A bearer token and when it was obtained and expires (epoch ms). */
export interface AccessToken {
  value: string;
  issuedAt: number;
  expiresAt: number;
}
