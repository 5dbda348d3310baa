package api_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientflow/clientflow/store"
	"github.com/clientflow/clientflow/store/storetest"
)

// An organization has at most store.MaxWebhookEndpoints endpoints, also when the creates race; the next
// one answers 409 saying what to do, and deleting one makes room.
func TestWebhookEndpointCap(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	srv := MustStart(t, db, withAPILimit(1<<20))
	f := mustWebhookFixture(t, srv, "Capped Agency")

	body := map[string]any{"url": "https://hooks.example.com/clientflow", "events": []string{"task.created"}}
	for range store.MaxWebhookEndpoints - 2 {
		MustStatus(t, f.owner.Do(http.MethodPost, f.path(""), body), http.StatusCreated)
	}
	// The last two places are raced for by seven creates (few, so the test holds few connections).
	codes := make([]int, 7)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = f.owner.Do(http.MethodPost, f.path(""), body).Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	assert.Equal(t, map[int]int{http.StatusCreated: 2, http.StatusConflict: 5}, count)

	p := MustProblem(t, f.owner.Do(http.MethodPost, f.path(""), map[string]any{
		"url": "https://hooks.example.com/one-more", "events": []string{"task.created"}}), http.StatusConflict, "conflict")
	assert.Contains(t, p.Detail, "at most 20 webhook endpoints")

	var first struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	list := f.owner.Do(http.MethodGet, f.path(""), nil)
	MustStatus(t, list, http.StatusOK)
	list.MustJSON(t, &first)
	MustStatus(t, f.owner.Do(http.MethodDelete, f.path("/"+first.Data[0].ID), nil), http.StatusNoContent)
	MustStatus(t, f.owner.Do(http.MethodPost, f.path(""), map[string]any{
		"url": "https://hooks.example.com/one-more", "events": []string{"task.created"}}), http.StatusCreated)
}
