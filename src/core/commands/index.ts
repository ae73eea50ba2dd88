export * from './command-types';
export { parseCommand } from './parse-command';
export { parseDuration } from './parse-duration';
export { nearestProject } from './nearest-project';
