package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// BenchmarkClients measures the store side of the client list: one tenant transaction per page.
func BenchmarkClients(b *testing.B) {
	d := storetest.MustOpen(b)
	ctx := context.Background()
	u := &domain.User{Name: "B", Email: "bench@example.com", PasswordHash: "x"}
	if err := d.App.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	org, err := d.App.CreateOrganization(ctx, "Bench", u.ID)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 500; i++ {
		c := &domain.Client{Name: fmt.Sprintf("Client %d", i), Company: []string{"Globex", "Initech"}[i%2]}
		if err := d.App.CreateClient(ctx, org.ID, u.ID, c); err != nil {
			b.Fatal(err)
		}
	}
	sess := &store.Session{UserID: u.ID, TokenHash: []byte("bench-token-hash")}
	sess.ExpiresAt = u.CreatedAt.AddDate(1, 0, 0)
	if err := d.App.CreateSession(ctx, sess); err != nil {
		b.Fatal(err)
	}
	b.Run("list_50", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 50}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("search_50", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, err := d.App.Clients(ctx, org.ID, domain.ClientFilter{Limit: 50, Query: "globex"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("session_principal", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				p, err := d.App.SessionPrincipal(ctx, []byte("bench-token-hash"), org.ID)
				if err != nil || p.Role != domain.RoleOwner {
					b.Fatal(p, err)
				}
			}
		})
	})
}
