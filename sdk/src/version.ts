/** The SDK's version, sent to Flightdeck by its workers (kept equal to package.json's by a test). */
export const SDK_VERSION = '0.1.0';
