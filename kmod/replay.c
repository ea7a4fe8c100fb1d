// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection for authenticated advertisements.
 *
 * The HMAC covers a 64-bit counter, but the BSDs never check it (an XXX in
 * their carp_input), so a recorded genuine advertisement can be sent again
 * later to make a MASTER step down or keep a BACKUP from taking over. We
 * close that without breaking interop with what real peers send.
 *
 * Nothing but the counter can tell senders apart: the source address is
 * not covered by the HMAC, so an attacker replays from any address he
 * likes. The state is therefore kept per counter *stream*, whatever
 * address its advertisements come from:
 *
 *  - the BSDs (and carp.ko) start at a random counter and add one per
 *    advertisement. A counter at most CARP_REPLAY_STEP above the last one
 *    of a stream continues it: a few lost advertisements, or a dual-stack
 *    sender seen in one family only (it counts once per family, so each
 *    family's stream goes up by two), still continue it. A stream that
 *    has continued once is sequential, and from then on any counter at or
 *    up to CARP_REPLAY_WINDOW below its last one is a replay;
 *  - ucarp sends a random counter in every advertisement: each starts a
 *    stream that never continues, so for it only an exact copy of one of
 *    the last CARP_REPLAY_RECENT counters accepted on the vhid is
 *    recognised (an older recording of a ucarp peer cannot be told apart).
 *
 * A new stream takes a free slot, else replaces the least recently heard
 * stream that is not sequential (ucarp's churn never pushes out a real
 * master's stream), else the least recently heard one. Only an accepted
 * advertisement creates or moves a stream, and a replay of a sequential
 * sender is never accepted: replays cannot flush the slots.
 *
 * What remains: two senders whose random starts lie within the window of
 * each other (a chance of 2^-24) hide the lower one's advertisements until
 * the vhid is reconfigured; and advbase, advskew and demotion are not in
 * the HMAC (the wire format is the BSDs'), so a copy altered on the way is
 * refused only if the original got here first (Documentation/carp.rst,
 * "Security").
 *
 * Everything here runs under carp->lock and is pure, for the selftest.
 */
#include "carp.h"

/* May an authentic advertisement with @counter be acted on? */
bool carp_replay_check(const struct carp_replay *r, u64 counter)
{
	const struct carp_replay_stream *s;
	unsigned int i;

	for (i = 0; i < r->nrecent; i++) {
		if (r->recent[i] == counter)
			return false;
	}
	for (i = 0; i < r->nstreams; i++) {
		s = &r->streams[i];
		if (s->sequential && s->last - counter < CARP_REPLAY_WINDOW)
			return false;
	}
	return true;
}

/* The stream @counter continues, if any. */
static struct carp_replay_stream *carp_replay_find(struct carp_replay *r,
						   u64 counter)
{
	unsigned int i;

	for (i = 0; i < r->nstreams; i++) {
		if (counter - r->streams[i].last - 1 < CARP_REPLAY_STEP)
			return &r->streams[i];
	}
	return NULL;
}

/* The slot for a new stream (see the replacement rule above). */
static struct carp_replay_stream *carp_replay_slot(struct carp_replay *r)
{
	struct carp_replay_stream *s, *best = NULL;
	unsigned int i;

	if (r->nstreams < CARP_REPLAY_STREAMS)
		return &r->streams[r->nstreams++];
	for (i = 0; i < CARP_REPLAY_STREAMS; i++) {
		s = &r->streams[i];
		if (!best || (best->sequential && !s->sequential) ||
		    (best->sequential == s->sequential &&
		     time_before(s->used, best->used)))
			best = s;
	}
	return best;
}

/* Remember an accepted advertisement. */
void carp_replay_accept(struct carp_replay *r, u64 counter, unsigned long now)
{
	struct carp_replay_stream *s = carp_replay_find(r, counter);

	if (s) {
		s->sequential = true;
	} else {
		s = carp_replay_slot(r);
		s->sequential = false;
	}
	s->last = counter;
	s->used = now;

	r->recent[r->next] = counter;
	r->next = (r->next + 1) % CARP_REPLAY_RECENT;
	if (r->nrecent < CARP_REPLAY_RECENT)
		r->nrecent++;
}
