package console

import "os"

// readKeys reads the trainee's keystrokes as they come. The goroutine ends
// with the process: it only ever waits on the terminal.
func readKeys(f *os.File) <-chan []byte {
	ch := make(chan []byte, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				ch <- append([]byte(nil), buf[:n]...)
			}
			if err != nil {
				close(ch)
				return
			}
		}
	}()
	return ch
}
