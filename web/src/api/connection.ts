// Whether the page reaches its server, from what its requests and its live socket see: offline at the first request
// that gets no answer or the first socket that drops, online again at the first answer. While offline, /healthz is
// asked every few seconds, so pages with no socket and nothing to send also notice that the server is back.

const PROBE_PATH = '/healthz';
const PROBE_INTERVAL_MS = 2000;

export class ConnectionMonitor {
  private offline = false;
  private probe: ReturnType<typeof setInterval> | null = null;
  private readonly changeListeners = new Set<(online: boolean) => void>();
  private readonly backListeners = new Set<() => void>();

  get online(): boolean {
    return !this.offline;
  }

  /** A request got no answer, or the live socket closed other than on purpose. */
  lost(): void {
    if (this.offline) return;
    this.offline = true;
    this.probe = setInterval(() => void this.checkServer(), PROBE_INTERVAL_MS);
    this.changeListeners.forEach((listener) => listener(false));
  }

  /** Something answered: a request, the socket's connection, or the probe. */
  answered(): void {
    if (!this.offline) return;
    this.offline = false;
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    this.changeListeners.forEach((listener) => listener(true));
    this.backListeners.forEach((listener) => listener());
  }

  /** Calls back on each change between online and offline; returns the function that stops it. */
  onChange(listener: (online: boolean) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Calls back each time the page is back online, for views to read their data again. */
  onBack(listener: () => void): () => void {
    this.backListeners.add(listener);
    return () => this.backListeners.delete(listener);
  }

  dispose(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
    this.changeListeners.clear();
    this.backListeners.clear();
  }

  private async checkServer(): Promise<void> {
    try {
      const response = await fetch(PROBE_PATH, { cache: 'no-store' });
      if (response.ok) this.answered();
    } catch {
      // Still unreachable; the next probe asks again.
    }
  }
}
