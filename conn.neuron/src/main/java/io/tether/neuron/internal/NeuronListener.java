package io.tether.neuron.internal;

/** A source listening on a connection id: the connection's reader calls it, one message at a time. */
interface NeuronListener {

    /** A message's body as the peer sent it (trace prefix included). */
    void message(byte[] body);

    /** The pipe failed in a way the source should count (a message over the receive limit). */
    void failed(Exception failure);
}
