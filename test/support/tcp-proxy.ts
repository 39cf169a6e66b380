// A TCP proxy on loopback in front of a real server (PostgreSQL here) that a test can cut and restore: cutting
// drops every open connection and refuses new ones, as a database that went away would; blackholing forwards nothing
// and closes nothing, as a host that drops packets; restoring forwards again on the same port.
import { once } from 'node:events';
import net from 'node:net';

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private dropping = false;

  private constructor(
    private readonly target: { host: string; port: number },
    public port = 0,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.restore();
    return proxy;
  }

  /** Listens (again) and forwards each connection to the target. */
  async restore(): Promise<void> {
    if (this.dropping) {
      // What was held is reset, as connections are after a network outage; new connections forward again.
      this.dropping = false;
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    }
    if (this.server) return;
    const server = net.createServer((client) => {
      if (this.dropping) {
        this.sockets.add(client);
        client.once('close', () => this.sockets.delete(client));
        client.on('error', () => client.destroy());
        client.pause();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: new connections are refused until restore(). */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** Accepts connections and keeps them open, but nothing passes in either direction until restore(). */
  blackhole(): void {
    this.dropping = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
