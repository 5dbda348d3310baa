package stream

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Async publishes through another Publisher from one background goroutine, so a request that committed a
// change never waits on Redis. Its queue is bounded: when it is full the messages are dropped and counted
// (a browser that misses a live message catches up by resuming from Last-Event-ID or refetching).
type Async struct {
	next    Publisher
	queue   chan []Message
	dropped atomic.Int64
	logger  *slog.Logger
	done    chan struct{}
	once    sync.Once
}

// publishTimeout bounds one hand-off to the next publisher, so a hung Redis only delays the queue.
const publishTimeout = 5 * time.Second

// NewAsync starts publishing through next, holding at most size batches waiting.
func NewAsync(next Publisher, size int, logger *slog.Logger) *Async {
	a := &Async{next: next, queue: make(chan []Message, size), logger: logger, done: make(chan struct{})}
	go a.run()
	return a
}

// Publish queues msgs and returns at once; it never fails.
func (a *Async) Publish(_ context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	select {
	case a.queue <- msgs:
	default:
		a.dropped.Add(int64(len(msgs)))
	}
	return nil
}

// Dropped is how many messages were dropped because the queue was full.
func (a *Async) Dropped() int64 { return a.dropped.Load() }

// Close publishes what is queued and stops.
func (a *Async) Close() {
	a.once.Do(func() { close(a.queue) })
	<-a.done
}

func (a *Async) run() {
	defer close(a.done)
	failing := false
	for msgs := range a.queue {
		ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
		err := a.next.Publish(ctx, msgs...)
		cancel()
		// One line when publishing starts failing and one when it recovers, not one per change.
		switch {
		case err != nil && !failing:
			a.logger.Warn("stream: publish failed; live updates are delayed until it recovers", "err", err)
		case err == nil && failing:
			a.logger.Info("stream: publishing recovered")
		}
		failing = err != nil
	}
}
