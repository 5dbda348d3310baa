package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clientflow/clientflow/domain"
	"github.com/clientflow/clientflow/store/storetest"
)

// TestTwoFactorCodesWorkOnce races the same TOTP step and the same backup code: exactly one use wins.
func TestTwoFactorCodesWorkOnce(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	u := &domain.User{Name: "Racer", Email: "racer@example.com", PasswordHash: "x"}
	if err := db.App.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.App.ReplaceBackupCodes(ctx, u.ID, [][]byte{[]byte("code-1"), []byte("code-2")}); err != nil {
		t.Fatal(err)
	}

	var steps, backups atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if ok, err := db.App.UseTOTPStep(ctx, u.ID, 59_000_000); err != nil {
				t.Error(err)
			} else if ok {
				steps.Add(1)
			}
			if ok, err := db.App.UseBackupCode(ctx, u.ID, []byte("code-1")); err != nil {
				t.Error(err)
			} else if ok {
				backups.Add(1)
			}
		})
	}
	wg.Wait()
	if steps.Load() != 1 || backups.Load() != 1 {
		t.Fatalf("TOTP step accepted %d times, backup code %d times; want once each", steps.Load(), backups.Load())
	}
	if ok, _ := db.App.UseTOTPStep(ctx, u.ID, 58_999_999); ok {
		t.Error("an earlier step was accepted after a later one")
	}
	var unused int
	if err := db.Owner.Bun().NewRaw("SELECT count(*) FROM backup_codes WHERE user_id = ? AND used_at IS NULL", u.ID).
		Scan(ctx, &unused); err != nil || unused != 1 {
		t.Errorf("unused backup codes = %d, %v; want 1", unused, err)
	}
}
