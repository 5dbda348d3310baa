package activities_test

import (
	"context"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientflow/clientflow/activities"
	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/filestore"
	"github.com/clientflow/clientflow/store/storetest"
)

var exportBenchRows = flag.Int("export-rows", 1_000_000, "time entries BenchmarkExportTimeEntries seeds and exports")

// BenchmarkExportTimeEntries seeds an organization with a million time entries (generate_series) and runs
// the export activity over them in this process, reporting the process's peak resident memory (VmHWM) and
// the file's size: the export streams batch by batch, so the peak must stay far below what holding the rows
// would take (the bound is 200 MB). Run it with `make bench` or
//
//	go test -run '^$' -bench BenchmarkExportTimeEntries -benchtime 1x ./activities/
func BenchmarkExportTimeEntries(b *testing.B) {
	db := storetest.MustOpen(b)
	ctx := context.Background()
	u := &domain.User{Name: "Bench Owner", Email: "export-bench@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	org, err := db.App.CreateOrganization(ctx, "Export bench", u.ID)
	if err != nil {
		b.Fatal(err)
	}
	v := domain.Viewer{UserID: u.ID, Role: domain.RoleOwner}
	p := &domain.Project{Name: "Big project"}
	if err := db.App.CreateProject(ctx, org.ID, v, p, ""); err != nil {
		b.Fatal(err)
	}
	seeded := time.Now()
	if _, err := db.Owner.Bun().NewRaw(`INSERT INTO time_entries (id, organization_id, project_id, user_id, started_at,
			ended_at, minutes, note)
		SELECT gen_random_uuid(), ?, ?, ?, ts, ts + interval '45 minutes', 45, 'Work item ' || n || ', =SUM(A1:A2)'
		FROM generate_series(1, ?) AS n, LATERAL (SELECT timestamptz '2024-01-01' + n * interval '1 minute' AS ts) t`,
		org.ID, p.ID, u.ID, *exportBenchRows).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Owner.Bun().NewRaw("ANALYZE time_entries").Exec(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d time entries in %s", *exportBenchRows, time.Since(seeded).Round(time.Millisecond))
	files, err := filestore.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	acts := &activities.Activities{DB: db.App, Files: files}
	b.ResetTimer()
	for b.Loop() {
		e := &domain.Export{Kind: domain.ExportTimeEntries, Filters: domain.ExportFilters{TimeEntries: &domain.TimeEntryFilter{}}}
		if err := db.App.CreateExport(ctx, org.ID, u.ID, e); err != nil {
			b.Fatal(err)
		}
		res, err := acts.RunExport(ctx, domain.ExportRef{OrganizationID: org.ID, ExportID: e.ID})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != int64(*exportBenchRows) {
			b.Fatalf("exported %d rows, want %d", res.Rows, *exportBenchRows)
		}
		b.ReportMetric(float64(res.Bytes)/(1<<20), "file-MB")
	}
	b.StopTimer()
	hwm := peakRSS(b)
	b.ReportMetric(hwm, "peak-RSS-MB")
	b.Logf("export of %d time entries: peak RSS (VmHWM) %.0f MB", *exportBenchRows, hwm)
}

// peakRSS is this process's peak resident set size in MB, from /proc/self/status.
func peakRSS(b *testing.B) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
