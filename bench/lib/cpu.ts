import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of a process tree by kind (Linux /proc; empty elsewhere), to say where a route's time
 * goes: the local stack's node process (gateway and handlers) or DynamoDB Local (java).
 */
const TICKS_PER_SECOND = 100;

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  cpuMs: number;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]), comm, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU ms used so far by the tree under `rootPid`, split into `java` and everything else (`node`). */
export function treeCpuMs(rootPid: number | undefined): { node: number; java: number } {
  const result = { node: 0, java: 0 };
  if (!rootPid) return result;
  const all = processes();
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const stack = all.filter((p) => p.pid === rootPid);
  while (stack.length) {
    const p = stack.pop()!;
    if (p.comm.includes('java')) result.java += p.cpuMs;
    else result.node += p.cpuMs;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return result;
}
