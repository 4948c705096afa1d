import type { Catalog } from '../../shared/catalog/catalogTypes.ts';
import type { IdentityCredentials } from '../../shared/credentials/identityCredentials.ts';
import { loadIdentityCredentials } from '../../shared/credentials/loadIdentityCredentials.ts';
import type { ParameterValue } from '../../shared/credentials/ssmParameterReader.ts';
import { Deadline } from '../../shared/invoke/deadline.ts';
import { describeCertificate } from './describeCertificate.ts';
import { describeError } from './describeError.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

/**
 * Step 3, per identity: the credentials load exactly as the invoker loads them (certificate and
 * key match, the OIDC secret has the right form), the pair is the *latest* versions (the invoker
 * falls back to an older version of one half while a rotation is half-written: that works, but
 * is a rotation to finish), and the certificate is valid now and for at least `minDays` more days.
 *
 * @example
 * const { step, credentials } = await checkCertificate(catalog, 'default', latest, { minDays: 14, timeoutMs: 10_000 });
 */
export async function checkCertificate(
  catalog: Catalog,
  identityName: string,
  latest: Map<string, ParameterValue>,
  { minDays, timeoutMs }: { minDays: number; timeoutMs: number },
): Promise<{ step: DoctorStep; credentials?: IdentityCredentials }> {
  const identity = catalog.identities[identityName]!;
  const subject = `identity ${identityName}`;
  const { certParameter, keyParameter } = identity.tls;
  let credentials: IdentityCredentials;
  try {
    // Forced: the doctor judges what SSM holds now, never a cached pair.
    credentials = await loadIdentityCredentials(catalog, identityName, new Deadline(Date.now() + timeoutMs), { force: true });
  } catch (error) {
    return {
      step: Step.fail(
        'certificate',
        subject,
        describeError(error),
        `Write a PEM certificate to ${certParameter} and the PEM private key that belongs to it to ${keyParameter} ` +
          '(a rotation writes both); a private_key_jwt or self_signed secret must be a private JWK with "kid".',
      ),
    };
  }
  const facts = describeCertificate(credentials.certPem);
  const details = [`subject ${facts.subject}`, `issuer ${facts.issuer}`, `valid ${facts.notBefore.toISOString()} to ${facts.notAfter.toISOString()}`];
  const rotate = `Issue a new client certificate and write it and its key as new versions of ${certParameter} and ${keyParameter}.`;
  const now = Date.now();
  const latestCert = latest.get(certParameter);
  const latestKey = latest.get(keyParameter);
  if (latestCert?.value !== credentials.certPem || latestKey?.value !== credentials.keyPem) {
    // The invoker kept one half at its latest version and took the previous version of the other.
    const keptOlderKey = latestKey?.value !== credentials.keyPem;
    const [older, other] = keptOlderKey ? ['key', 'certificate'] : ['certificate', 'key'];
    const [olderParameter, otherParameter] = keptOlderKey ? [keyParameter, certParameter] : [certParameter, keyParameter];
    return {
      step: Step.fail(
        'certificate',
        subject,
        `the latest certificate (v${latestCert?.version}) and key (v${latestKey?.version}) do not match: a rotation is half-written; ` +
          `the invoker keeps using the previous ${older}`,
        `Finish the rotation: write the ${other} that belongs to the new ${older} to ${otherParameter} (or write the previous ${older} back to ${olderParameter}).`,
        details,
      ),
      credentials,
    };
  }
  if (facts.notAfter.getTime() <= now) {
    const daysAgo = Math.floor((now - facts.notAfter.getTime()) / 86_400_000);
    return { step: Step.fail('certificate', subject, `certificate expired ${daysAgo} days ago`, rotate, details), credentials };
  }
  if (facts.notBefore.getTime() > now) {
    return { step: Step.fail('certificate', subject, 'certificate is not valid yet', `Check the clock of the issuing CA. ${rotate}`, details), credentials };
  }
  if (!facts.allowsClientAuth) {
    return {
      step: Step.fail('certificate', subject, 'certificate does not allow TLS client authentication (extended key usage)', rotate, details),
      credentials,
    };
  }
  if (facts.daysLeft < minDays) {
    return {
      step: Step.fail('certificate', subject, `certificate expires in ${facts.daysLeft} days (under ${minDays})`, rotate, details),
      credentials,
    };
  }
  return { step: Step.pass('certificate', subject, `key matches certificate; ${facts.daysLeft} days until expiry`, details), credentials };
}
