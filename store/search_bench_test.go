package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// searchSeed is the search organization: 100 projects × 2,000 tasks (200,000), titles of a verb
// and two nouns from a 50-word agency vocabulary ("Design website checkout 17") and a one-line description,
// so a common three-letter prefix ("web": website, webinar, webhook) matches 15 % of the tasks (30,720) and
// a misspelt word ("wbesite") is trigram-close to 7 % (14,800); a member is on 5 of the projects. Set-based: one statement per table.
var searchSeed = []string{
	`INSERT INTO projects (id, organization_id, name, description)
	 SELECT gen_random_uuid(), $1, 'Project ' || n, 'Work for client ' || n FROM generate_series(1, 100) n`,
	`INSERT INTO task_board_columns (id, organization_id, project_id, name, position)
	 SELECT gen_random_uuid(), organization_id, id, 'To do', 'a' FROM projects WHERE organization_id = $1`,
	`INSERT INTO tasks (id, organization_id, project_id, column_id, number, title, description_html, position)
	 SELECT gen_random_uuid(), c.organization_id, c.project_id, c.id, k,
	   v.verbs[1 + (k * 7 + c.n) % 20] || ' ' || v.nouns[1 + (k * 13 + c.n * 3) % 50] || ' '
	     || v.nouns[1 + (k * 31 + c.n * 11) % 50] || ' ' || k,
	   '<p>' || v.nouns[1 + (k * 17 + c.n) % 50] || ' notes for ' || v.verbs[1 + (k * 5 + c.n) % 20] || ' step ' || k || '</p>',
	   'a' || lpad(k::text, 6, '0')
	 FROM (SELECT col.*, row_number() OVER (ORDER BY col.id) AS n FROM task_board_columns col
	       WHERE col.organization_id = $1) c,
	   generate_series(1, 2000) k,
	   (SELECT ARRAY['Design','Build','Review','Fix','Update','Write','Test','Deploy','Plan','Draft','Refactor',
	      'Migrate','Approve','Publish','Optimise','Audit','Prepare','Schedule','Document','Research'] AS verbs,
	     ARRAY['website','homepage','newsletter','invoice','logo','banner','checkout','dashboard','landing page',
	      'blog post','contact form','footer','header','menu','pricing table','onboarding','analytics','sitemap',
	      'style guide','brochure','photo shoot','social campaign','press release','email template','product page',
	      'search bar','login flow','mobile app','icon set','brand book','video edit','podcast','webinar','webhook',
	      'api docs','release notes','user survey','storyboard','wireframe','mockup','copy deck','media kit',
	      'annual report','slide deck','color palette','typography','animation','checkout flow','payment form',
	      'account page'] AS nouns) v`,
	`INSERT INTO project_members (organization_id, project_id, user_id)
	 SELECT organization_id, id, $2 FROM projects WHERE organization_id = $1 ORDER BY id LIMIT 5`,
	`VACUUM ANALYZE`,
}

// BenchmarkSearch measures the store side of unified search over 200,000 tasks (every group: clients,
// projects, tasks, comments, files, in one round trip), 8 at a time, for a three-letter prefix and a
// misspelt word, as the owner (every project) and as a member on 5 of the 100 projects; it reports p50 and
// p99.
//
//	go test ./store -run '^$' -bench BenchmarkSearch -benchtime=2000x
func BenchmarkSearch(b *testing.B) {
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
	exec := d.Owner.Bun()
	if _, err := exec.ExecContext(ctx, `INSERT INTO organization_memberships (id, organization_id, user_id, role)
		VALUES (gen_random_uuid(), ?, ?, 'member')`, org.ID, member.ID); err != nil {
		b.Fatal(err)
	}
	for _, q := range searchSeed {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, org.ID)
		}
		if strings.Contains(q, "$2") {
			args = append(args, member.ID)
		}
		if _, err := exec.DB.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(q, err)
		}
	}
	for _, c := range []struct {
		name   string
		viewer domain.Viewer
		query  string
	}{
		{"owner/prefix_web", domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}, "web"},
		{"owner/misspelt_wbesite", domain.Viewer{UserID: owner.ID, Role: domain.RoleOwner}, "wbesite"},
		{"member/prefix_web", domain.Viewer{UserID: member.ID, Role: domain.RoleMember}, "web"},
		{"member/misspelt_wbesite", domain.Viewer{UserID: member.ID, Role: domain.RoleMember}, "wbesite"},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := domain.SearchFilter{Query: c.query, Kinds: domain.SearchKinds, Limit: 5}
			var mu sync.Mutex
			took := make([]time.Duration, 0, b.N)
			b.SetParallelism(4) // 4 × GOMAXPROCS (2 here): 8 at a time
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					groups, err := d.App.Search(ctx, org.ID, c.viewer, f)
					if err != nil {
						b.Error(err)
						return
					}
					if len(groups[2].Hits) == 0 {
						b.Error("no task found")
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
