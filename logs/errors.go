package logs

import (
	"fmt"
	"path/filepath"
)

// This file holds the wording of the errors the package returns besides
// the API's own (deploy.CallError words those).

func errStuck(from string) error {
	return fmt.Errorf("the Management API answered the logs after %s with no newer log; stopping rather than reading the same page again", from)
}

func errBadCheckpoint(path string) error {
	return fmt.Errorf("%s is not a checkpoint written by logs pull (JSON with a log_id); remove it to start again from --since or --from", path)
}

func errNoOutput(out, checkpoint string, records int) error {
	return fmt.Errorf("the checkpoint %s says %d logs were written to %s, which does not exist; resuming would lose them: restore %s, or remove %s to start again from --since or --from", checkpoint, records, out, out, checkpoint)
}

func errShorter(out, checkpoint, last string) error {
	return fmt.Errorf("%s ends before log %s, the last one its checkpoint %s says was written: the file was replaced by an older one, and resuming would lose the logs in between; restore the file, or remove both to start again", out, last, checkpoint)
}

func errNotLogs(records int) error {
	return fmt.Errorf("its last record (of %d) has no log_id, so it was not written by logs pull and there is nowhere to resume from; write to another file", records)
}

func errNoFolder(path string) error {
	return fmt.Errorf("cannot write %s: the folder %s does not exist", path, filepath.Dir(path))
}
