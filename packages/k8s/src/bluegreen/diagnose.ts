import type { CoreV1Event, KubeApi, V1Pod } from '../api.ts';
import { selectorString, type LiveWorkload } from './workloads.ts';

/** Why one pod (or, with no pod at all, one workload) is not ready: what Kubernetes itself says. */
export interface PodDiagnosis {
  /** `pod web-green-7d9f-x` or `deployment web-green` when it has no pod. */
  object: string;
  workload: string;
  phase: string;
  /** Conditions that are not True and container states: `PodScheduled=False Unschedulable: 0/2 nodes …`. */
  reasons: string[];
  /** The last events about it, newest last: `Warning FailedScheduling: … (×3)`. */
  events: string[];
}

const MAX_PODS = 5;
const MAX_EVENTS = 3;
const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const oneLine = (text: string | undefined) => clip((text ?? '').replace(/\s+/g, ' ').trim());

/** How a container ended, with its last message (its termination message, or the tail of its log with FallbackToLogsOnError). */
const exit = (t: { reason?: string; exitCode: number; message?: string }) =>
  `${t.reason ?? ''} exit ${t.exitCode}${t.message?.trim() ? `: ${t.message.trim()}` : ''}`;

function podReasons(pod: V1Pod): string[] {
  const reasons: string[] = [];
  for (const c of pod.status?.conditions ?? []) {
    if (c.status === 'True') continue;
    reasons.push(oneLine(`${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`));
  }
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const state = s.state ?? {};
    if (state.waiting)
      reasons.push(
        oneLine(`container ${s.name} waiting: ${state.waiting.reason ?? ''}${state.waiting.message ? ` (${state.waiting.message})` : ''}`),
      );
    else if (state.terminated) reasons.push(oneLine(`container ${s.name} terminated: ${exit(state.terminated)}`));
    else if (state.running && !s.ready) reasons.push(`container ${s.name} running but not ready`);
    const last = s.lastState?.terminated;
    if (s.restartCount || last)
      reasons.push(oneLine(`container ${s.name} restarted ${s.restartCount ?? 0}×${last ? ` (last: ${exit(last)})` : ''}`));
  }
  return reasons;
}

/**
 * When an event last happened, to the second: the kubelet's events carry lastTimestamp in whole
 * seconds, the scheduler's an eventTime in microseconds; compared finer, a kubelet event would sort
 * before a scheduler event of the same second that came first. Ties keep the API's order (event
 * names end in their creation time in nanoseconds).
 */
const when = (e: CoreV1Event) =>
  Math.floor(new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? 0).getTime() / 1000);

function eventsAbout(events: readonly CoreV1Event[], kind: string, name: string): string[] {
  return events
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort((a, b) => when(a) - when(b))
    .slice(-MAX_EVENTS)
    .map((e) => oneLine(`${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (×${e.count})` : ''}`));
}

/**
 * Collects, for the colour's workloads that are not ready, each pod's conditions, container states
 * and last events — or, for a workload without pods, its own events and its ReplicaSets' (a quota or
 * admission refusal). Read before anything is cleaned up: scaling down deletes the evidence.
 */
export async function diagnose(api: KubeApi, namespace: string, workloads: readonly LiveWorkload[]): Promise<PodDiagnosis[]> {
  const events = await api.listEvents(namespace, 500).catch(() => [] as CoreV1Event[]);
  const found: PodDiagnosis[] = [];
  for (const w of workloads) {
    const workload = `${w.ref.kind.toLowerCase()} ${w.ref.name}`;
    const selector = Object.keys(w.ref.selector).length ? selectorString(w.ref.selector) : undefined;
    const pods = selector ? await api.listPods(namespace, selector) : [];
    const unready = pods.filter((p) => !(p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    for (const pod of unready) {
      const name = pod.metadata?.name ?? '?';
      found.push({
        object: `pod ${name}`,
        workload,
        phase: pod.status?.phase ?? 'Unknown',
        reasons: podReasons(pod),
        events: eventsAbout(events, 'Pod', name),
      });
    }
    if (!pods.length && w.live) {
      const own = eventsAbout(events, w.ref.kind, w.ref.name);
      const replicaSets = events
        .filter((e) => e.involvedObject?.kind === 'ReplicaSet' && e.involvedObject.name?.startsWith(`${w.ref.name}-`))
        .map((e) => e.involvedObject?.name ?? '');
      const owned = [...new Set(replicaSets)].flatMap((rs) => eventsAbout(events, 'ReplicaSet', rs));
      found.push({ object: workload, workload, phase: 'no pods', reasons: [], events: [...own, ...owned].slice(-MAX_EVENTS) });
    }
  }
  return found;
}

/** One line per pod for the log and the error: `pod x (Pending): PodScheduled=False …; last events: …`. */
export function diagnosisLines(found: readonly PodDiagnosis[]): string[] {
  const lines = found
    .slice(0, MAX_PODS)
    .map(
      (d) =>
        `${d.object} (${d.phase}): ${[...d.reasons, ...(d.events.length ? [`events: ${d.events.join(' | ')}`] : [])].join('; ') || 'no reason reported by Kubernetes'}`,
    );
  if (found.length > MAX_PODS) lines.push(`… and ${found.length - MAX_PODS} more pod(s) not ready`);
  return lines;
}
