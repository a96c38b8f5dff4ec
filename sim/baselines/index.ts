// The baselines' public face: the registry by name, in a fixed order.
export { baselines, baselineNames } from './registry.js';
export { FITS } from './define.js';
