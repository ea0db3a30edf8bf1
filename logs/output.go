package logs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Output is an NDJSON file of log records, gzip-compressed when its name
// ends in .gz, and the checkpoint file beside it that says where the
// records end. It is a Sink: records are appended by writing the file's
// current bytes and the new records to a temporary file in the same
// folder and renaming it over the file (a new gzip member is added after
// the old ones, which gzip readers, Go's and zcat among them, read as one
// stream), then the checkpoint the same way. The file is renamed before
// its checkpoint, so that a process killed between the two leaves a
// checkpoint behind the file, never ahead of it, and a rerun (which
// resumes from the later of the two) neither loses nor repeats a log.
//
// Records are committed every CommitBytes or so and by Commit: a pull
// killed outright (SIGKILL) loses only what it fetched since, and fetches
// it again when rerun; it may leave a temporary file, named
// .FILE.*.tmp, behind.
type Output struct {
	path, checkpoint string
	gz               bool

	// CommitBytes is how many bytes of new records are committed at
	// once: the larger of it and a quarter of the file, so that the
	// copying stays in proportion to the file (each byte is copied about
	// five times however long the pull). 0 means 256 KiB.
	CommitBytes int64

	// The committed state.
	exists  bool
	saved   savedCheckpoint
	records int
	last    string    // log_id of the file's last record
	oldest  time.Time // date of its first record
	size    int64
	mode    os.FileMode

	dropBefore time.Time // records older than this are dropped
	dropped    int       // records dropped so far

	seg   *segment   // new records not committed yet
	cp    Checkpoint // the checkpoint after the last page
	dirty bool       // cp not committed yet
	err   error      // a failed write: nothing more is committed
}

// savedCheckpoint is the checkpoint file: the log_id to resume from, the
// time of the newest log kept, the log_id of the last record written and
// how many records the output held then. An output that ends before that
// last record was replaced by an older one, and resuming would lose logs.
type savedCheckpoint struct {
	LogID   string    `json:"log_id"`
	Newest  time.Time `json:"newest,omitzero"`
	Last    string    `json:"last_written,omitempty"`
	Records int       `json:"records"`
	Output  string    `json:"output"`
}

// CheckpointPath is where the checkpoint of output goes by default:
// beside it, with ".checkpoint" added to its name.
func CheckpointPath(output string) string { return output + ".checkpoint" }

// OpenOutput reads the state of an output file and its checkpoint, if
// they exist, and refuses a pair that does not fit together.
func OpenOutput(path, checkpoint string) (*Output, error) {
	o := &Output{path: path, checkpoint: checkpoint, gz: strings.HasSuffix(path, ".gz"), mode: 0o600}
	for _, p := range []string{path, checkpoint} {
		if st, err := os.Stat(filepath.Dir(p)); err != nil || !st.IsDir() {
			return nil, errNoFolder(p)
		}
	}
	b, err := os.ReadFile(checkpoint)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o.saved); err != nil || o.saved.LogID == "" {
			return nil, errBadCheckpoint(checkpoint)
		}
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if o.saved.Last != "" {
			return nil, errNoOutput(path, checkpoint, o.saved.Records)
		}
		return o, nil
	case err != nil:
		return nil, err
	}
	o.exists, o.size, o.mode = true, st.Size(), st.Mode().Perm()
	last, err := o.scan()
	if err != nil {
		return nil, fmt.Errorf("cannot resume %s: %w", path, err)
	}
	if Before(last.LogID, o.saved.Last) {
		return nil, errShorter(path, checkpoint, o.saved.Last)
	}
	if Before(o.saved.LogID, last.LogID) {
		o.saved.LogID = last.LogID
	}
	if last.Date.After(o.saved.Newest) {
		o.saved.Newest = last.Date
	}
	return o, nil
}

// scan counts the file's records, notes the first one's date and the last
// one's id, and returns the last one's meta.
func (o *Output) scan() (meta, error) {
	if o.size == 0 {
		return meta{}, nil // an empty file, even named .gz, holds no record
	}
	f, err := os.Open(o.path)
	if err != nil {
		return meta{}, err
	}
	defer f.Close()
	var r io.Reader = f
	if o.gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return meta{}, err
		}
		r = zr
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var last []byte
	for {
		line, err := br.ReadBytes('\n')
		if t := strings.TrimSpace(string(line)); t != "" {
			if o.records++; o.records == 1 {
				var first meta
				_ = json.Unmarshal([]byte(t), &first)
				o.oldest = first.Date
			}
			last = append(last[:0], t...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta{}, err
		}
	}
	var m meta
	if last != nil && (json.Unmarshal(last, &m) != nil || m.LogID == "") {
		return meta{}, errNotLogs(o.records)
	}
	o.last = m.LogID
	return m, nil
}

// Resume is the checkpoint to continue from, "" for a new file.
func (o *Output) Resume() Checkpoint {
	return Checkpoint{LogID: o.saved.LogID, Newest: o.saved.Newest}
}

// Records counts the records of the file as committed.
func (o *Output) Records() int { return o.records }

// DropBefore makes the next commit leave out the file's records older
// than t, so that a file appended to run after run holds a moving window
// (logs pull --since 7d keeps the last seven days).
func (o *Output) DropBefore(t time.Time) { o.dropBefore = t }

// Dropped counts the records DropBefore left out.
func (o *Output) Dropped() int { return o.dropped }

// trimDue reports whether the file holds records DropBefore leaves out.
func (o *Output) trimDue() bool {
	return o.exists && o.records > 0 && o.oldest.Before(o.dropBefore)
}

// Page appends records and notes the checkpoint after them; it commits
// when enough is pending.
func (o *Output) Page(records [][]byte, cp Checkpoint) error {
	if o.err != nil {
		return o.err
	}
	if len(records) > 0 && o.seg == nil {
		if o.seg, o.err = o.begin(); o.err != nil {
			return o.err
		}
	}
	for _, r := range records {
		if o.err = o.seg.add(r); o.err != nil {
			return o.err
		}
	}
	o.cp, o.dirty = cp, true
	every := o.CommitBytes
	if every <= 0 {
		every = 256 << 10
	}
	if o.seg != nil && o.seg.bytes >= max(every, o.size/4) {
		return o.Commit()
	}
	return nil
}

// Commit makes what Page took durable: the file, then its checkpoint.
// After a failed write it commits nothing and returns that error.
func (o *Output) Commit() error {
	if o.err != nil {
		o.Close()
		return o.err
	}
	// A first pull that kept nothing still leaves a valid, empty file.
	if o.seg == nil && (o.dirty && !o.exists || o.trimDue()) {
		if o.seg, o.err = o.begin(); o.err != nil {
			return o.err
		}
	}
	if seg := o.seg; seg != nil {
		o.seg = nil
		size, err := seg.commit(o.path)
		if err != nil {
			o.err = fmt.Errorf("cannot write %s: %w", o.path, err)
			return o.err
		}
		if seg.trimmed {
			o.oldest, o.dropped = seg.oldest, o.dropped+o.records-seg.copied
		}
		o.records, o.size, o.exists = seg.copied+seg.n, size, true
	}
	if o.cp.Kept != "" {
		o.last = o.cp.Kept
	}
	if o.dirty && o.cp.LogID != "" {
		o.saved = savedCheckpoint{LogID: o.cp.LogID, Newest: o.cp.Newest, Last: o.last, Records: o.records, Output: filepath.Base(o.path)}
		if err := writeCheckpoint(o.checkpoint, o.saved); err != nil {
			o.err = fmt.Errorf("cannot write the checkpoint %s: %w", o.checkpoint, err)
			return o.err
		}
	}
	o.dirty = false
	return nil
}

// Close drops what was not committed; the file and checkpoint stay as
// they were.
func (o *Output) Close() {
	if o.seg != nil {
		o.seg.abort()
		o.seg = nil
	}
}

// segment is a temporary file holding the committed file's bytes and the
// new records after them.
type segment struct {
	f       *os.File
	w       *bufio.Writer
	zw      *gzip.Writer
	copied  int       // records of the committed file kept
	trimmed bool      // old records were left out
	oldest  time.Time // then: the date of the first one kept
	n       int       // records added
	bytes   int64     // their bytes
}

// begin starts a temporary file beside the output with its current bytes.
func (o *Output) begin() (*segment, error) {
	dir, base := filepath.Split(o.path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", o.path, err)
	}
	s := &segment{f: f, w: bufio.NewWriterSize(f, 256<<10)}
	if err := s.f.Chmod(o.mode); err == nil {
		if o.trimDue() {
			err = o.trimTo(s)
		} else {
			err = o.copyTo(s)
		}
	}
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("cannot write %s: %w", o.path, err)
	}
	if o.gz && s.zw == nil {
		s.zw = gzip.NewWriter(s.w)
	}
	return s, nil
}

// copyTo writes the committed file's bytes, as they are, to s; a plain
// file's last line is ended if it was not.
func (o *Output) copyTo(s *segment) error {
	if !o.exists {
		return nil
	}
	s.copied = o.records
	in, err := os.Open(o.path)
	if err != nil {
		return err
	}
	defer in.Close()
	n, err := io.Copy(s.w, in)
	if err != nil {
		return err
	}
	if !o.gz && n > 0 {
		last := make([]byte, 1)
		if _, err := in.ReadAt(last, n-1); err != nil {
			return err
		}
		if last[0] != '\n' {
			return s.w.WriteByte('\n')
		}
	}
	return nil
}

// trimTo writes the committed file's records of DropBefore or later to s,
// decompressed and compressed again as one new gzip member.
func (o *Output) trimTo(s *segment) error {
	in, err := os.Open(o.path)
	if err != nil {
		return err
	}
	defer in.Close()
	var r io.Reader = in
	if o.gz {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return err
		}
		r = zr
		s.zw = gzip.NewWriter(s.w)
	}
	s.trimmed = true
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		line, err := br.ReadBytes('\n')
		if t := bytes.TrimSpace(line); len(t) > 0 {
			var m meta
			if json.Unmarshal(t, &m) != nil || !m.Date.Before(o.dropBefore) {
				if s.copied++; s.copied == 1 {
					s.oldest = m.Date
				}
				if err := s.write(t); err != nil {
					return err
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (s *segment) add(rec []byte) error {
	if err := s.write(rec); err != nil {
		return err
	}
	s.n++
	s.bytes += int64(len(rec)) + 1
	return nil
}

// write writes one record and its newline.
func (s *segment) write(rec []byte) error {
	var w io.Writer = s.w
	if s.zw != nil {
		w = s.zw
	}
	if _, err := w.Write(rec); err != nil {
		return err
	}
	_, err := w.Write([]byte{'\n'})
	return err
}

// commit ends the gzip member, syncs the file and renames it over path,
// returning its size.
func (s *segment) commit(path string) (int64, error) {
	var err error
	if s.zw != nil {
		err = s.zw.Close()
	}
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil {
		err = s.f.Sync()
	}
	var size int64
	if st, serr := s.f.Stat(); err == nil && serr == nil {
		size = st.Size()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.f.Name(), path)
	}
	if err != nil {
		os.Remove(s.f.Name())
	}
	return size, err
}

func (s *segment) abort() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// writeCheckpoint replaces the checkpoint file atomically.
func writeCheckpoint(path string, c savedCheckpoint) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
