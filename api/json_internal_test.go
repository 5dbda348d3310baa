package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// board500 is a 500-card board like the bench's, for the encoder checks below.
func board500() Board {
	now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	due := "2026-12-01"
	b := Board{}
	for c := range 4 {
		col := BoardColumn{Column: Column{ID: fmt.Sprintf("col-%d", c), Name: "Column", Position: "a"}}
		for i := range 125 {
			col.Tasks = append(col.Tasks, TaskCard{ID: fmt.Sprintf("task-%d-%d", c, i), ColumnID: col.ID, Number: i,
				Title: "Design <the> \"landing\" page & copy", Priority: "high", DueDate: &due, Position: "i00042i",
				CreatedAt: now, CompletedAt: &now, SubtasksDone: 1, SubtasksAll: 2,
				Assignees: []CardAssignee{{UserID: "user-1", Name: "Mia Müller", Initials: "MM"}}})
		}
		b.Columns = append(b.Columns, col)
	}
	return b
}

// The response encoder must write exactly what encoding/json would (HTML left unescaped, as Huma's default).
func TestResponseEncoderMatchesEncodingJSON(t *testing.T) {
	format := apiConfig().Formats["application/json"]
	for _, v := range []any{board500(), map[string]any{"a": []int{1}, "b": nil, "c": "x<y>&"}, json.RawMessage(`{"k": 1}`)} {
		var got, want bytes.Buffer
		if err := format.Marshal(&got, v); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("encoders differ for %T:\n got %.300s\nwant %.300s", v, got.String(), want.String())
		}
	}
}

func BenchmarkBoardJSON(b *testing.B) {
	board := board500()
	for name, marshal := range map[string]func(*bytes.Buffer, any) error{
		"encoding_json": func(w *bytes.Buffer, v any) error { return json.NewEncoder(w).Encode(v) },
		"response":      func(w *bytes.Buffer, v any) error { return apiConfig().Formats["application/json"].Marshal(w, v) },
	} {
		b.Run(name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := marshal(&buf, board); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
