import { X509Certificate } from 'node:crypto';
import { describeCertificate } from './describeCertificate.ts';
import type { DoctorStep } from './doctorStep.ts';
import { Step } from './step.ts';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Step 3 for the ingress CA bundle (`ingress.caParameter`): it holds certificates, none expired.
 *
 * @example
 * const step = checkIngressCa('/meshgate/prod/ingress/ca', credentials.caPem, 14);
 */
export function checkIngressCa(caParameter: string, caPem: string, minDays: number): DoctorStep {
  const certificates: X509Certificate[] = [];
  for (const block of caPem.match(PEM_BLOCK) ?? []) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      // Reported below as a bundle without usable certificates, if none parse.
    }
  }
  const fix = `Write the PEM certificate(s) of the CA that signs the ingress gateway's certificate to ${caParameter}.`;
  if (certificates.length === 0) return Step.fail('certificate', caParameter, 'ingress CA holds no PEM certificate', fix);
  const facts = certificates.map((certificate) => describeCertificate(certificate));
  const details = facts.map((fact) => `${fact.subject}: ${fact.daysLeft} days until expiry`);
  const soonest = Math.min(...facts.map((fact) => fact.daysLeft));
  if (soonest < 0) return Step.fail('certificate', caParameter, 'ingress CA bundle holds an expired certificate', fix, details);
  if (soonest < minDays) {
    return Step.fail('certificate', caParameter, `ingress CA expires in ${soonest} days (under ${minDays})`, fix, details);
  }
  return Step.pass('certificate', caParameter, `ingress CA: ${certificates.length} certificate(s)`, details);
}
