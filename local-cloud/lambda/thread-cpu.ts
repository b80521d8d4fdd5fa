/**
 * The CPU time one OS thread of this process has used, for benchmarks that split a process's
 * CPU between its threads: the local cloud's thread, each function's worker threads, and V8's
 * and libuv's helper threads. Node.js 20 has no per-thread figure (`process.cpuUsage()` and
 * `resourceUsage()` are process-wide in a worker too; `process.threadCpuUsage()` and
 * `worker.cpuUsage()` came in Node.js 23/24), and a worker's event-loop utilisation counts wall
 * time, so it overstates CPU on a machine where threads wait for a core. Linux keeps each
 * thread's time on a CPU in nanoseconds: the first field of `/proc/<pid>/task/<tid>/schedstat`.
 * @see https://docs.kernel.org/scheduler/sched-stats.html#proc-pid-schedstat
 */
import { readFileSync, readlinkSync } from 'node:fs';

/**
 * The OS thread id of the calling thread (`/proc/thread-self` names `<pid>/task/<tid>`), or
 * undefined where the file system does not show it (not Linux).
 */
export function currentOsThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds thread `osThreadId` of this process has used so far, or undefined when the
 * thread is gone or the system does not show it.
 */
export function threadCpuMs(osThreadId: number): number | undefined {
  try {
    const runNanoseconds = Number(readFileSync(`/proc/self/task/${osThreadId}/schedstat`, 'latin1').split(' ')[0]);
    return Number.isFinite(runNanoseconds) ? runNanoseconds / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
