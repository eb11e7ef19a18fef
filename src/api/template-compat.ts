/** The template compatibility modes, apart from src/api/inputs.ts so that listing them loads no template engine. */
export { TEMPLATE_COMPAT_MODES, type TemplateCompat } from '../templates/compat.js';
