/**
 * The renderer's CSP forbids eval: tell zod not to try compiling parsers with `new Function`.
 * Imported first by every entry point (the page and the worker).
 */
import { z } from 'zod';

z.config({ jitless: true });
