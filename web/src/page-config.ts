// What the server tells the page at load time, from the <script type="application/json" id="page-config"> block.

export interface PageConfig {
  /** Local mode's printed token, to pre-fill the sign-in form; null elsewhere. */
  localToken: string | null;
}

export function readPageConfig(): PageConfig {
  const text = document.getElementById('page-config')?.textContent ?? '';
  try {
    const parsed = JSON.parse(text) as { localToken?: unknown };
    return { localToken: typeof parsed.localToken === 'string' ? parsed.localToken : null };
  } catch {
    return { localToken: null };
  }
}
