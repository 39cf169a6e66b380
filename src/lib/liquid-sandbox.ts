// Liquid templates written by users, parsed and rendered inside bounds: no file system (include, render and layout
// are refused), unknown variables and filters are errors, and parsing, rendering time and allocations are limited.
// Compiled templates are cached by their text, so no process needs telling when a stored template changes.
import {
  Liquid,
  LiquidError,
  type RenderOptions,
  Tag,
  type TagToken,
  type Template,
  type TopLevelToken,
} from 'liquidjs';
import { LRUCache } from 'lru-cache';

/** The longest template accepted, in characters. */
export const TEMPLATE_MAX_CHARS = 10_000;
/** Milliseconds one render may take; rendering is synchronous, so this bounds what a template costs a worker. */
export const TEMPLATE_RENDER_LIMIT_MS = 100;
/** liquidjs' allocation budget for one render (ranges, arrays, joined and appended strings). */
export const TEMPLATE_MEMORY_LIMIT = 10_000_000;
/** Compiled templates kept per sandbox. */
const COMPILED_CACHE_ENTRIES = 500;

/** A template that does not parse or render, with where in it the problem is (1-based). */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
  }
}

/** Tags that read other templates (from disk by default): refused when the template is parsed. */
const FILE_TAGS = ['include', 'render', 'layout'];

class RefusedTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    throw new Error(`{% ${token.name} %} is not available: templates cannot load other templates`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

export interface SandboxOptions {
  /** Applied to every {{ output }} (not to the template's own text); `| raw` opts out. @default none */
  escape?: (text: string) => string;
}

function outputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function templateError(error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  if (error instanceof LiquidError) {
    const [line, column] = error.token?.getPosition() ?? [null, null];
    return new TemplateError(error.message, line ?? null, column ?? null);
  }
  return new TemplateError(error instanceof Error ? error.message : String(error), null, null);
}

export class LiquidSandbox {
  private readonly engine: Liquid;
  private readonly compiled = new LRUCache<string, Template[]>({ max: COMPILED_CACHE_ENTRIES });

  constructor(options: SandboxOptions = {}) {
    const escape = options.escape;
    this.engine = new Liquid({
      strictVariables: true,
      strictFilters: true,
      // `{% if data.server %}` and `| default:` may name a variable an event lacks.
      lenientIf: true,
      ownPropertyOnly: true,
      // An in-memory (empty) lookup: nothing is ever read from the file system, even if a tag tried.
      templates: {},
      parseLimit: TEMPLATE_MAX_CHARS,
      renderLimit: TEMPLATE_RENDER_LIMIT_MS,
      memoryLimit: TEMPLATE_MEMORY_LIMIT,
      outputEscape: escape ? (value: unknown) => escape(outputText(value)) : outputText,
      timezoneOffset: 0,
    });
    for (const name of FILE_TAGS) this.engine.registerTag(name, RefusedTag);
  }

  /** Parses a template (or takes it from the cache); throws TemplateError. */
  compile(source: string): Template[] {
    const cached = this.compiled.get(source);
    if (cached) return cached;
    if (source.length > TEMPLATE_MAX_CHARS) {
      throw new TemplateError(`the template is longer than ${TEMPLATE_MAX_CHARS} characters`, null, null);
    }
    let templates: Template[];
    try {
      templates = this.engine.parse(source);
    } catch (error) {
      throw templateError(error);
    }
    this.compiled.set(source, templates);
    return templates;
  }

  /**
   * The paths of the variables a template reads from outside (not those it assigns), e.g. ['data', 'server'], as far
   * as they are literal (data[key] ends at data).
   */
  variablePaths(source: string): (string | number)[][] {
    const analysis = this.engine.analyzeSync(this.compile(source), { partials: false });
    const paths: (string | number)[][] = [];
    for (const variables of Object.values(analysis.globals)) {
      for (const variable of variables) {
        const path: (string | number)[] = [];
        for (const segment of variable.segments) {
          if (typeof segment !== 'string' && typeof segment !== 'number') break;
          path.push(segment);
        }
        paths.push(path);
      }
    }
    return paths;
  }

  /** Renders a template with these variables, within the limits; throws TemplateError. */
  render(source: string, variables: object): string {
    return this.renderWith(source, variables, {});
  }

  /**
   * Renders one of the application's own templates: no time limit, so that a busy machine never fails a message
   * that is all ours. Still throws TemplateError, for a variable the data does not have.
   */
  renderOwn(source: string, variables: object): string {
    return this.renderWith(source, variables, { renderLimit: Infinity });
  }

  private renderWith(source: string, variables: object, options: RenderOptions): string {
    const templates = this.compile(source);
    try {
      return this.engine.renderSync(templates, variables, options) as string;
    } catch (error) {
      throw templateError(error);
    }
  }
}
