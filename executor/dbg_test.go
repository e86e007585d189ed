package executor

import (
	"fmt"
	"testing"
	"time"
)

func TestDbgRead(t *testing.T) {
	s := startTest(t, ShellOptions{})
	s.typeText("python3 -c 'import time; time.sleep(2)'\n")
	deadline := time.After(4 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	for {
		select {
		case c := <-s.chunks:
			fmt.Printf("%s %q\n", time.Now().Format("05.000"), c)
		case <-tick.C:
			st, pg := waitingForInput(s.master)
			fmt.Println(time.Now().Format("05.000"), st, pg, s.pgrp)
		case <-deadline:
			return
		}
	}
}
