// Whether a subscriber may still be told of a delivery: checked at every attempt, not only
// when subscribing. A lapsed CJIS certification (AT-2/AT-3) or a permission the subscriber
// no longer holds stops deliveries; an ended subscription too.
import type { DeliveryTable, SubscriptionTable } from './store.ts';
import { ERASURE_NOTICE, SYSTEM_PERMISSION } from './intake.ts';

/** Why the delivery may not go out now, or null when it may. */
export function deliveryBlocked(subscriber: Pick<SubscriptionTable, 'permissions' | 'certified_until' | 'active'>, delivery: Pick<DeliveryTable, 'kind' | 'system'>, now = Date.now()): string | null {
  if (subscriber.active !== 'Y') return 'subscription ended';
  if (!(Date.parse(subscriber.certified_until) > now)) return `certification lapsed on ${subscriber.certified_until.slice(0, 10)}`;
  if (delivery.kind === ERASURE_NOTICE) return null; // the law requires the notice (54-142h(a))
  const needed = SYSTEM_PERMISSION[delivery.system];
  const permissions = JSON.parse(subscriber.permissions) as string[];
  return needed && permissions.includes(needed) ? null : `role no longer permits ${delivery.system}`;
}
