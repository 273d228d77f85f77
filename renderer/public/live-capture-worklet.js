// The live view's capture: runs on the audio thread, collects the microphone's first channel into frames of
// `frameSamples` and posts each to the page, which streams them to the main process. Loaded with
// audioWorklet.addModule from the app's own origin (the CSP allows no inline or blob scripts).
/* global registerProcessor, AudioWorkletProcessor */

class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.size = options.processorOptions.frameSamples;
    this.frame = new Float32Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const take = Math.min(channel.length - offset, this.size - this.filled);
      this.frame.set(channel.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.size) {
        // Transferred, not copied: the sent frame's buffer is detached here, so a fresh one takes its place.
        this.port.postMessage(this.frame, [this.frame.buffer]);
        this.frame = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('ser-capture', CaptureProcessor);
