/**
 * `npm run doctor -- --catalog-parameter NAME [--probe SERVICE:PATH]...`: checks a deployment's
 * configuration step by step and prints ✓ or ✗ per step, with the fix for each ✗. Never prints a
 * secret: claims are shown, tokens and keys are not. Exit code 0 when every check passed, 1 when
 * one failed, 2 for a wrong command line.
 */
import { logger } from '../shared/logging/logger.ts';
import { formatDoctorReport } from './doctor/formatDoctorReport.ts';
import { DOCTOR_USAGE, parseDoctorArgs } from './doctor/parseDoctorArgs.ts';
import { runDoctor } from './doctor/runDoctor.ts';

let options: ReturnType<typeof parseDoctorArgs>;
try {
  options = parseDoctorArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${DOCTOR_USAGE}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(DOCTOR_USAGE);
  process.exit(0);
}

// The shared modules log for Lambda (JSON lines); here the report is the output.
logger.setLogLevel('SILENT');
const endpoint = process.env.AWS_ENDPOINT_URL_SSM ? `, SSM endpoint ${process.env.AWS_ENDPOINT_URL_SSM}` : '';
process.stdout.write(
  `meshgate doctor: catalog ${options.catalogParameter} (region ${process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'from the AWS config'}${endpoint})\n\n`,
);
const report = await runDoctor(options);
process.stdout.write(formatDoctorReport(report));
// Keep-alive sockets to the IdP would hold the process open for a while; the report is complete.
process.exit(report.ok ? 0 : 1);
