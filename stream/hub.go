package stream

import (
	"context"
	"sync"
	"sync/atomic"
)

// Subscriber opens subscriptions to the messages of some organizations (the SSE endpoint's side).
type Subscriber interface {
	Subscribe(orgIDs []string) *Subscription
}

// Broker is both sides: what publishes and what a process's streams subscribe to.
type Broker interface {
	Publisher
	Subscriber
}

// subscriptionBuffer is how many messages a subscription holds for a stream that is busy writing. A burst
// larger than that (a bulk move, a slow client) loses messages and marks the subscription lost instead of
// slowing the publisher for every other stream.
const subscriptionBuffer = 64

// Hub delivers messages to this process's subscriptions, indexed by organization. On its own it is the
// single-process broker (no REDIS_URL); Redis feeds one per API process from its pub/sub.
type Hub struct {
	mu   sync.RWMutex
	subs map[string]map[*Subscription]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[string]map[*Subscription]struct{}{}} }

// Publish hands each message to the subscriptions of its organization without waiting for any of them.
func (h *Hub) Publish(_ context.Context, msgs ...Message) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, m := range msgs {
		for s := range h.subs[m.OrganizationID] {
			s.offer(m)
		}
	}
	return nil
}

// Subscribe opens a subscription to the messages of orgIDs. Close it when the stream ends.
func (h *Hub) Subscribe(orgIDs []string) *Subscription {
	s := &Subscription{c: make(chan Message, subscriptionBuffer), lost: make(chan struct{}, 1), hub: h, orgs: orgIDs}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, org := range orgIDs {
		if h.subs[org] == nil {
			h.subs[org] = map[*Subscription]struct{}{}
		}
		h.subs[org][s] = struct{}{}
	}
	return s
}

// LoseAll marks every subscription lost: messages may have been missed (the Redis connection dropped).
func (h *Hub) LoseAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, subs := range h.subs {
		for s := range subs {
			s.markLost()
		}
	}
}

// Subscribers is how many subscriptions are open (for metrics and tests).
func (h *Hub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	seen := map[*Subscription]struct{}{}
	for _, subs := range h.subs {
		for s := range subs {
			seen[s] = struct{}{}
		}
	}
	return len(seen)
}

func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, org := range s.orgs {
		delete(h.subs[org], s)
		if len(h.subs[org]) == 0 {
			delete(h.subs, org)
		}
	}
}

// Subscription is one stream's view of the hub.
type Subscription struct {
	c      chan Message
	lost   chan struct{}
	hub    *Hub
	orgs   []string
	closed atomic.Bool
}

// Messages delivers the subscribed organizations' messages in publication order.
func (s *Subscription) Messages() <-chan Message { return s.c }

// Lost signals that messages were dropped since the last signal (buffer full, broker reconnected): the
// stream should tell its client to refetch rather than pretend it is up to date.
func (s *Subscription) Lost() <-chan struct{} { return s.lost }

// Close stops delivery; it is safe to call more than once.
func (s *Subscription) Close() {
	if s.closed.CompareAndSwap(false, true) {
		s.hub.remove(s)
	}
}

func (s *Subscription) offer(m Message) {
	select {
	case s.c <- m:
	default:
		s.markLost()
	}
}

func (s *Subscription) markLost() {
	select {
	case s.lost <- struct{}{}:
	default:
	}
}
