import { readFile } from 'node:fs/promises';

/**
 * Connections the kernel dropped because a listening socket's accept queue (its `listen` backlog) was full, since
 * boot, for the whole machine: `TcpExt ListenOverflows` of /proc/net/netstat. Undefined where there is no such file.
 */
export async function listenOverflows(): Promise<number | undefined> {
  let netstat: string;
  try {
    netstat = await readFile('/proc/net/netstat', 'utf8');
  } catch {
    return undefined;
  }
  const [names, values] = netstat
    .split('\n')
    .filter((line) => line.startsWith('TcpExt:'))
    .map((line) => line.split(/\s+/));
  const at = names?.indexOf('ListenOverflows') ?? -1;
  return at < 0 ? undefined : Number(values?.[at]);
}
