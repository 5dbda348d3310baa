package stream

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// channelPrefix starts every stream channel; the organization id ends it, so a process could subscribe to
// a few organizations, and one PSUBSCRIBE on the prefix serves a process that streams all of them.
const channelPrefix = "clientflow:stream:"

// Redis is the broker across API processes: Publish sends each message to its organization's channel, and
// Run holds this process's one pattern subscription, feeding a local Hub that the streams subscribe to.
type Redis struct {
	client *redis.Client
	hub    *Hub
	logger *slog.Logger
	// ready is closed once the pattern subscription is in place.
	ready chan struct{}
}

// NewRedis returns the broker on client. Call Run for the subscribe side; a process that only publishes
// (the worker) need not.
func NewRedis(client *redis.Client, logger *slog.Logger) *Redis {
	return &Redis{client: client, hub: NewHub(), logger: logger, ready: make(chan struct{})}
}

// Publish sends msgs in one round trip (a pipeline of PUBLISH).
func (r *Redis) Publish(ctx context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	pipe := r.client.Pipeline()
	for _, m := range msgs {
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		pipe.Publish(ctx, channelPrefix+m.OrganizationID, b)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// Subscribe opens a subscription on this process's hub.
func (r *Redis) Subscribe(orgIDs []string) *Subscription { return r.hub.Subscribe(orgIDs) }

// Ready is closed once Run's subscription is in place: from then on no published message is missed.
func (r *Redis) Ready() <-chan struct{} { return r.ready }

// Hub is the local hub Run feeds.
func (r *Redis) Hub() *Hub { return r.hub }

// Run receives every organization's messages until ctx ends. go-redis reconnects by itself; messages
// published while it was away are gone, so every open stream is told to refetch (LoseAll) when the
// subscription is re-established.
func (r *Redis) Run(ctx context.Context) {
	ps := r.client.PSubscribe(ctx, channelPrefix+"*")
	defer ps.Close()
	subscribed := false
	ch := ps.ChannelWithSubscriptions()
	for {
		select {
		case <-ctx.Done():
			return
		case v, ok := <-ch:
			if !ok {
				return
			}
			switch m := v.(type) {
			case *redis.Subscription:
				if m.Kind == "psubscribe" && subscribed {
					r.logger.Info("stream: Redis subscription re-established; open streams refetch")
					r.hub.LoseAll()
				}
				if !subscribed {
					close(r.ready)
				}
				subscribed = true
			case *redis.Message:
				r.deliver(m)
			}
		}
	}
}

func (r *Redis) deliver(m *redis.Message) {
	var msg Message
	if err := json.Unmarshal([]byte(m.Payload), &msg); err != nil {
		r.logger.Warn("stream: unreadable message", "channel", m.Channel, "err", err)
		return
	}
	// The channel names the organization: a message claiming another one is not delivered.
	if msg.OrganizationID != strings.TrimPrefix(m.Channel, channelPrefix) {
		r.logger.Warn("stream: message organization does not match its channel", "channel", m.Channel)
		return
	}
	r.hub.Publish(context.Background(), msg)
}
