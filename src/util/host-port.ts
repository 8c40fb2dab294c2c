// Is a TCP port free on this machine, and if not, which process listens on it? Used before
// `deploy local` touches anything, so the user hears who holds the port instead of docker's
// "address already in use" after the old container is gone.
import { readdir, readFile, readlink } from "node:fs/promises";
import net from "node:net";

/** True when nothing listens on host:port; false on EADDRINUSE; undefined when it cannot be told. */
export function portIsFree(host: string, port: number): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" ? false : undefined));
    // exclusive: a cluster worker would otherwise share the primary's handle and always succeed.
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortProcess {
  pid: number;
  command: string;
}

/** Socket inodes in LISTEN state (st 0A) on `port`, from /proc/net/tcp{,6} (Linux only). */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== "0A") continue;
      if (parseInt(cols[1].split(":")[1], 16) === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/**
 * The process listening on `port`, where /proc lets us see it: another user's process (or one in
 * another PID namespace, such as docker-proxy seen from a container) stays unnamed.
 */
export async function processOnPort(port: number): Promise<PortProcess | undefined> {
  const inodes = await listeningInodes(port);
  if (!inodes.size) return undefined;
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) {
        const command = (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "?")).trim();
        return { pid: Number(pid), command };
      }
    }
  }
  return undefined;
}
