// Helpers for the change-event tests: waiting for an effect, and wiring the notifications
// service of a test stack to that stack's gateway, dev key and a receiver's host.
import type { Stack } from './stack.ts';
import { serviceTokenSource } from '../../subgraphs/shared/events/service-token.ts';
import type { NotificationsHandle } from '../../notifications/index.ts';

/** Polls `check` until it returns a value that is not undefined/false (bounded: 300 tries). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, intervalMs = 100): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The stack's notifications store, pointed at the stack's gateway and allowing `hosts`. */
export function notificationsOf(stack: Stack, hosts: string[] = []): NotificationsHandle {
  const handle = stack.handles.notifications as NotificationsHandle;
  handle.settings.gatewayUrl = stack.gateway.url;
  handle.settings.token = serviceTokenSource('notifications', { OBTS_DATA_DIR: stack.dataDir });
  handle.settings.natsUrl = undefined;
  handle.settings.webhook = { ...handle.settings.webhook, allowedHosts: hosts, retryBaseMs: 100, maxAttempts: 4 };
  handle.settings.publicUrl = stack.subgraphs.notifications.url.replace(/\/graphql$/, '');
  return handle;
}

/** Environment for an agency's erasure propagation against the stack. */
export function stackEnv(stack: Stack): NodeJS.ProcessEnv {
  return { OBTS_GATEWAY_URL: stack.gateway.url, OBTS_DATA_DIR: stack.dataDir };
}
