/** The demo stack's commands, registered together. */
export { grafanaCommand } from './grafana.js';
export { renderCommand } from './render.js';
export { startCommand } from './start.js';
export { statusCommand } from './status.js';
export { stopCommand } from './stop.js';
