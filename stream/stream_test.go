package stream_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientflow/clientflow/stream"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func msg(org, id string) stream.Message {
	return stream.Message{ID: id, Kind: stream.KindChange, OrganizationID: org, Type: "task.updated"}
}

// receive returns the next message of sub, failing after a second.
func receive(t *testing.T, sub *stream.Subscription) stream.Message {
	t.Helper()
	select {
	case m := <-sub.Messages():
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
	}
	return stream.Message{}
}

func TestHub(t *testing.T) {
	ctx := context.Background()

	t.Run("delivers_to_the_subscriptions_of_the_message_organization_only", func(t *testing.T) {
		h := stream.NewHub()
		a, b := h.Subscribe([]string{"org-a"}), h.Subscribe([]string{"org-b", "org-c"})
		require.NoError(t, h.Publish(ctx, msg("org-b", "1"), msg("org-a", "2"), msg("org-c", "3")))
		assert.Equal(t, "2", receive(t, a).ID)
		assert.Equal(t, "1", receive(t, b).ID)
		assert.Equal(t, "3", receive(t, b).ID)
		assert.Empty(t, a.Messages())
	})

	t.Run("a_full_subscription_loses_messages_and_says_so_without_blocking", func(t *testing.T) {
		h := stream.NewHub()
		s := h.Subscribe([]string{"org"})
		for i := range 1000 {
			require.NoError(t, h.Publish(ctx, msg("org", string(rune('a'+i%26)))))
		}
		select {
		case <-s.Lost():
		default:
			t.Fatal("overflow not signalled")
		}
		assert.NotEmpty(t, s.Messages(), "what fitted is still delivered")
	})

	t.Run("a_closed_subscription_receives_nothing", func(t *testing.T) {
		h := stream.NewHub()
		s := h.Subscribe([]string{"org"})
		s.Close()
		s.Close()
		require.NoError(t, h.Publish(ctx, msg("org", "1")))
		assert.Empty(t, s.Messages())
		assert.Zero(t, h.Subscribers())
	})
}

// blockingPublisher holds every Publish until released.
type blockingPublisher struct {
	release chan struct{}
	got     chan stream.Message
}

func (b *blockingPublisher) Publish(_ context.Context, msgs ...stream.Message) error {
	<-b.release
	for _, m := range msgs {
		b.got <- m
	}
	return nil
}

func TestAsyncDropsAndCountsWhenItsQueueIsFull(t *testing.T) {
	next := &blockingPublisher{release: make(chan struct{}), got: make(chan stream.Message, 100)}
	a := stream.NewAsync(next, 2, quiet)
	start := time.Now()
	for i := range 10 {
		require.NoError(t, a.Publish(context.Background(), msg("org", string(rune('0'+i)))))
	}
	assert.Less(t, time.Since(start), time.Second, "Publish waited for the next publisher")
	// One batch is held by the goroutine, two wait in the queue, the rest are dropped.
	assert.GreaterOrEqual(t, a.Dropped(), int64(7))
	close(next.release)
	a.Close()
	assert.Equal(t, int64(10)-a.Dropped(), int64(len(next.got)))
}

func TestRedisCarriesMessagesBetweenProcesses(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opt, err := redis.ParseURL(url)
	require.NoError(t, err)
	client := redis.NewClient(opt)
	defer client.Close()
	if err := client.Ping(context.Background()).Err(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis at %s is required in CI: %v", url, err)
		}
		t.Skipf("redis unreachable: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sender, receiver := stream.NewRedis(client, quiet), stream.NewRedis(client, quiet)
	go receiver.Run(ctx)
	<-receiver.Ready()
	org := "org-" + time.Now().Format("150405.000000000")
	sub := receiver.Subscribe([]string{org})
	defer sub.Close()
	other := receiver.Subscribe([]string{"another-" + org})
	defer other.Close()

	require.NoError(t, sender.Publish(ctx, msg(org, "1"), msg(org, "2")))
	assert.Equal(t, "1", receive(t, sub).ID)
	assert.Equal(t, "2", receive(t, sub).ID)
	assert.Empty(t, other.Messages())

	t.Run("a_message_whose_organization_differs_from_its_channel_is_not_delivered", func(t *testing.T) {
		require.NoError(t, client.Publish(ctx, "clientflow:stream:another-"+org,
			`{"id":"3","kind":"change","org_id":"`+org+`","type":"task.updated"}`).Err())
		require.NoError(t, sender.Publish(ctx, msg(org, "4")))
		assert.Equal(t, "4", receive(t, sub).ID)
		assert.Empty(t, other.Messages())
	})
}
