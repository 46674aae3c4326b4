/**
 * Added to every row norm of an L2 normalisation `x / (‖x‖₂ + ε)`, exactly as the official KNN-OOD code does, so
 * an all-zero row maps to zeros instead of NaN. Shared by ood's detectors (KNN, normalised Mahalanobis) and the
 * bundle's ONNX graph, which must normalise the same way.
 * @see https://github.com/deeplearning-wisc/knn-ood (run_cifar.py: `x / (np.linalg.norm(x, ord=2, axis=-1, keepdims=True) + 1e-10)`)
 */
export const L2_NORM_EPSILON = 1e-10;
