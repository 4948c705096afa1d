/** Sent as `user-agent: meshgate/<version>`; a test keeps it equal to package.json's version. */
export const MESHGATE_VERSION = '0.1.0';
