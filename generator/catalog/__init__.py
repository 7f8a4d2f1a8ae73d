"""The service catalog: what each kind brings (image, ports, data volume, env, probe) and the probe rules."""
