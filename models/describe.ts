// How a bad value is shown in an error message: the engine's one description of any value.
export { describeValue as describe } from '../engine/checks.js';
