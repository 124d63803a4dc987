//! Bit-exact measurement of the error a multiplier causes at a layer's
//! output, to set next to the predictions.
