/**
 * @module core/guest-label
 * How a PVE guest is named in messages, the same on every command: `VM 201 (media)`,
 * `CT 107 (forgejo)`, or `CT 107` when it has no name.
 */

/** A guest's label: `VM 201 (media)`, `CT 107 (forgejo)`. */
export function guestLabel(guest: { type: 'qemu' | 'lxc'; vmid: number; name?: string }): string {
  return `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid}${guest.name ? ` (${guest.name})` : ''}`;
}
