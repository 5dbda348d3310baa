package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// BenchmarkDashboard measures the store side of the dashboard on the organization, 8 at a time,
// as the owner (sees everything, revenue included) and as a member on 50 projects; it reports p50 and p99.
//
//	go test ./store -run '^$' -bench BenchmarkDashboard -benchtime=2000x
func BenchmarkDashboard(b *testing.B) {
	d := storetest.MustOpen(b)
	ctx := context.Background()
	owner := &domain.User{Name: "Owner", Email: "owner@example.com", PasswordHash: "x"}
	member := &domain.User{Name: "Member", Email: "member@example.com", PasswordHash: "x"}
	for _, u := range []*domain.User{owner, member} {
		if err := d.App.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	org, err := d.App.CreateOrganization(ctx, "Bench", owner.ID)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.Owner.Bun().ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, org.ID, member.ID); err != nil {
		b.Fatal(err)
	}
	if err := storetest.SeedDashboard(ctx, d.Owner, org.ID, member.ID); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	to := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	f := domain.DashboardFilter{From: to.AddDate(0, -6, 0), To: to, Clients: true, Revenue: true, InvoiceEvents: true, ActivityLimit: 10}
	for _, c := range []struct {
		name   string
		viewer domain.Viewer
	}{
		{"owner", domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}},
		{"member", domain.Viewer{UserID: member.ID, Role: domain.RoleMember}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var mu sync.Mutex
			took := make([]time.Duration, 0, b.N)
			b.SetParallelism(4) // 4 × GOMAXPROCS (2 here): 8 at a time
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					if _, err := d.App.Dashboard(ctx, org.ID, c.viewer, f); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					took = append(took, time.Since(start))
					mu.Unlock()
				}
			})
			slices.Sort(took)
			if len(took) > 0 {
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
