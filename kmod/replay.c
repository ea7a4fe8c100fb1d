// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection for authenticated advertisements.
 *
 * The HMAC covers a 64-bit counter, but the BSDs never check it (an XXX in
 * their carp_input), so a recorded genuine advertisement can be sent again
 * later to make a MASTER step down or keep a BACKUP from taking over. We
 * close that without breaking interop with what real peers send:
 *
 *  - the BSDs (and carp.ko) start at a random counter and add one per
 *    advertisement: once a sender has been seen going n, n + 1, any counter
 *    from it at or up to CARP_REPLAY_WINDOW below the last one is a replay.
 *    A rebooted peer starts again at a random counter; the chance that it
 *    falls into that window is 2^-24, and it is then accepted as soon as
 *    it is beyond the window or moves on past the old value;
 *  - ucarp sends a random counter in every advertisement, so for it (and
 *    for any sender not yet seen in sequence) only an exact copy of one of
 *    the last CARP_REPLAY_RECENT counters accepted on this device is
 *    recognised: an older recording of a ucarp peer cannot be told apart.
 *
 * Everything here runs under carp->lock and is pure, for the selftest.
 */
#include "carp.h"

static struct carp_replay_peer *carp_replay_peer(const struct carp_replay *r,
						 __be32 src)
{
	unsigned int i;

	for (i = 0; i < CARP_REPLAY_PEERS; i++) {
		if (r->peers[i].src == src)
			return (struct carp_replay_peer *)&r->peers[i];
	}
	return NULL;
}

/* May an authentic advertisement with @counter from @src be acted on? */
bool carp_replay_check(const struct carp_replay *r, __be32 src, u64 counter)
{
	const struct carp_replay_peer *peer;
	unsigned int i;

	for (i = 0; i < r->nrecent; i++) {
		if (r->recent[i] == counter)
			return false;
	}
	peer = carp_replay_peer(r, src);
	if (peer && peer->sequential && peer->last - counter < CARP_REPLAY_WINDOW)
		return false;
	return true;
}

/* Remember an accepted advertisement. */
void carp_replay_accept(struct carp_replay *r, __be32 src, u64 counter,
			unsigned long now)
{
	struct carp_replay_peer *peer = carp_replay_peer(r, src);
	unsigned int i;

	if (!peer) {
		/* a free slot, or the one least recently heard from */
		peer = &r->peers[0];
		for (i = 1; i < CARP_REPLAY_PEERS && peer->src; i++) {
			if (!r->peers[i].src ||
			    time_before(r->peers[i].used, peer->used))
				peer = &r->peers[i];
		}
		peer->src = src;
		peer->sequential = false;
	} else {
		peer->sequential = counter == peer->last + 1;
	}
	peer->last = counter;
	peer->used = now;

	r->recent[r->next] = counter;
	r->next = (r->next + 1) % CARP_REPLAY_RECENT;
	if (r->nrecent < CARP_REPLAY_RECENT)
		r->nrecent++;
}
